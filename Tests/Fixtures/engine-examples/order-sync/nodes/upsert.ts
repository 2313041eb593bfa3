import type { Context } from "@engine/sdk";

export default async function upsert(ctx: Context) {
  const response = await ctx.http.put(`https://erp.internal.example.com:8443/orders/${ctx.input.id}`, { json: ctx.input });
  return { status: response.status };
}
