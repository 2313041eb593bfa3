export function yesterday(timezone: string): string {
  const now = new Date(new Date().toLocaleString("en-US", { timeZone: timezone }));
  now.setDate(now.getDate() - 1);
  return now.toISOString().slice(0, 10);
}
