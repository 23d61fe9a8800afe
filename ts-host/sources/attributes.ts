// Import attributes as part of a module's key: validated, sorted by key and
// frozen, so equal attributes compare equal and print the same way.

export type Attributes = Readonly<Record<string, string>>;

export const NO_ATTRIBUTES: Attributes = Object.freeze(Object.create(null) as Record<string, string>);

/** Validates and normalises attributes; null/undefined mean none. */
export function normalizeAttributes(input: unknown, what = 'attributes'): Attributes {
  if (input === undefined || input === null || input === NO_ATTRIBUTES) return NO_ATTRIBUTES;
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw new TypeError(`${what} must be an object of strings, got ${Array.isArray(input) ? 'array' : typeof input}`);
  }
  const keys = Object.keys(input).sort();
  if (keys.length === 0) return NO_ATTRIBUTES;
  const out = Object.create(null) as Record<string, string>;
  for (const key of keys) {
    const value = (input as Record<string, unknown>)[key];
    if (typeof value !== 'string') {
      throw new TypeError(`${what}: the value of "${key}" must be a string, got ${typeof value}`);
    }
    out[key] = value;
  }
  return Object.freeze(out);
}

/** The attributes' canonical text, "" when there are none (used for keys and interning). */
export function attributesKey(attributes: Attributes): string {
  if (attributes === NO_ATTRIBUTES) return '';
  const keys = Object.keys(attributes);
  return keys.length === 0 ? '' : JSON.stringify(keys.map((k) => [k, attributes[k]]));
}
