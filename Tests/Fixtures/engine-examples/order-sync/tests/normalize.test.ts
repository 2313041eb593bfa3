import normalize from "../nodes/normalize.ts";
import charge from "./fixtures/stripe-charge.json" with { type: "json" };

Deno.test("normalizes a Stripe charge", async () => {
  const order = await normalize({ input: charge } as never);
  if (order.total !== 1200) throw new Error("wrong total");
});
