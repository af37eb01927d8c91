// Placeholder entry; the real handler is being written.
export const handler = async (): Promise<void> => {};
