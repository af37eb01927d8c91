/**
 * Lambda event-filter patterns (https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html),
 * the subset eventcast uses: arrays of literals (OR), nested objects (AND), `prefix`, `exists` and
 * `anything-but`. Anything else is refused, so a pattern never silently matches differently than on AWS.
 */
export type FilterPattern = Record<string, unknown>;

/** Throws on anything outside the supported subset, so a bad pattern fails at subscribe time. */
export const assertSupportedPatterns = (patterns: readonly FilterPattern[]): void => {
  const checkRule = (rule: unknown, path: string) => {
    if (!isObject(rule)) return;
    const entries = Object.entries(rule);
    const [operator, argument] = entries[0] ?? [];
    const valid =
      entries.length === 1 &&
      ((operator === "exists" && typeof argument === "boolean") ||
        (operator === "prefix" && typeof argument === "string") ||
        (operator === "anything-but" && !isObject(argument)) ||
        (operator === "anything-but" && isObject(argument) && typeof argument.prefix === "string"));
    if (!valid) throw new Error(`Unsupported filter rule ${JSON.stringify(rule)} at ${path}`);
  };
  const checkPattern = (pattern: FilterPattern, path: string): void => {
    for (const [key, rule] of Object.entries(pattern)) {
      if (Array.isArray(rule)) for (const option of rule) checkRule(option, `${path}.${key}`);
      else if (isObject(rule)) checkPattern(rule, `${path}.${key}`);
      else throw new Error(`Filter pattern at ${path}.${key} must be an array or an object`);
    }
  };
  patterns.forEach((pattern, index) => {
    checkPattern(pattern, `pattern ${index}`);
  });
};

/** True when no patterns are given or when any one of them matches (patterns are ORed). */
export const matchesAnyPattern = (patterns: readonly FilterPattern[], event: unknown): boolean =>
  patterns.length === 0 || patterns.some((pattern) => matchesPattern(pattern, event));

const matchesPattern = (pattern: FilterPattern, value: unknown): boolean =>
  Object.entries(pattern).every(([key, rule]) => {
    const actual = isObject(value) ? value[key] : undefined;
    if (Array.isArray(rule)) return rule.some((option) => matchesRule(option, actual));
    return isObject(rule) && matchesPattern(rule, actual);
  });

/** One element of a leaf array against a field; a list-valued field matches when any element does. */
const matchesRule = (rule: unknown, actual: unknown): boolean => {
  const values = Array.isArray(actual) ? actual : [actual];
  if (!isObject(rule)) return actual !== undefined && values.some((value) => value === rule);
  const [operator, argument] = Object.entries(rule)[0] ?? [];
  switch (operator) {
    case "exists":
      return (actual !== undefined) === argument;
    case "prefix":
      return values.some((value) => typeof value === "string" && value.startsWith(String(argument)));
    case "anything-but": {
      const excluded = Array.isArray(argument) ? argument : [argument];
      return (
        actual !== undefined && values.every((value) => !excluded.some((other) => matchesRule(other, value)))
      );
    }
    default:
      throw new Error(`Unsupported filter operator ${JSON.stringify(operator)}`);
  }
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
