import type { Context } from "@engine/sdk";

export default async function publish(ctx: Context) {
  await ctx.cache.set("report:latest", JSON.stringify(ctx.input));
  return { published: true };
}
