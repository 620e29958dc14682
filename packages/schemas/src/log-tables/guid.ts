const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for `00000000-0000-0000-0000-000000000000` in any case (no braces), as Kusto's guid type accepts. */
export function isGuid(value: string): boolean {
  return guidPattern.test(value);
}
