// Loaded by a dynamic import(): it joins the registry only when asked for.
export const greet = (who) => `hello, ${who} (from a dynamically imported module)`;
