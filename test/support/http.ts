/** JSON as a test reads it: any shape, asserted on by the test itself. */
// biome-ignore lint/suspicious/noExplicitAny: tests assert on arbitrary response bodies.
export type Json = any;

export const jsonOf = async (response: Response): Promise<Json> => (await response.json()) as Json;
