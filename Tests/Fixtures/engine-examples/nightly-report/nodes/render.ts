import type { Context } from "@engine/sdk";
import template from "./template.json" with { type: "json" };

export default async function render(ctx: Context) {
  const total = ctx.input.rows.reduce((sum: number, row: { amount: number }) => sum + row.amount, 0);
  return { title: template.title, total };
}
