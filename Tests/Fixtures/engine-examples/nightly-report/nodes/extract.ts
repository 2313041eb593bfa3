import type { Context } from "@engine/sdk";
import { yesterday } from "./lib/dates.ts";

export default async function extract(ctx: Context) {
  const rows = await ctx.db.query("select * from orders where day = $1", [yesterday(ctx.config.timezone)]);
  return { rows };
}
