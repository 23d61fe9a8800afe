import { round } from './numbers';

export class Point {
  constructor(readonly x: number, readonly y: number) {}
  distance(): number {
    return Math.hypot(this.x, this.y);
  }
}

export function describe(p: Point): string {
  return `a point at (${p.x}, ${p.y}), ${round(p.distance(), 2)} from the origin`;
}
