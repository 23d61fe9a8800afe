export const round = (n: number, digits: number): number => Number(n.toFixed(digits));
