import type { Context } from "@engine/sdk";
import mapping from "./mapping.yaml";

export default async function normalize(ctx: Context) {
  const event = ctx.input;
  const source = event.provider === "stripe" ? mapping.stripe : mapping.shop;
  return Object.fromEntries(Object.entries(source).map(([to, from]) => [to, event.body[from as string]]));
}
