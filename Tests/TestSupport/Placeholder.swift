import GitShim
