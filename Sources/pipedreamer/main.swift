print("pipedreamer")
