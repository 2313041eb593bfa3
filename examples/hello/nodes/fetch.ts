// Produces the greeting configured in workflow.yaml.
export interface FetchOutput {
  greeting: string;
  fetchedAt: string;
}

export default async function fetch(ctx: { config: { greeting?: string } }): Promise<FetchOutput> {
  return {
    greeting: ctx.config.greeting ?? "Hello",
    fetchedAt: new Date().toISOString(),
  };
}
