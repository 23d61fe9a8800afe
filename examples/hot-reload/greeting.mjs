export const greeting = 'hello from the first version';
