// The heat map's colour scale: five classes of counts, light (few cases) to dark (many).

/** Light to dark: few cases to many (ColorBrewer YlOrRd, readable on the plain background and on tiles). */
export const HEAT_COLORS = ['#fed976', '#feb24c', '#fd8d3c', '#e31a1c', '#800026'] as const;
const HEAT_STROKES = ['#c99a2e', '#c77d14', '#c25a0f', '#9e1013', '#4d0016'] as const;

/**
 * The upper bounds of the five classes for counts up to `max`: equal steps, at least 1 apart, so «1», «2–3», … read
 * as whole cases. Fewer classes when the counts are few (max 3 → 1, 2, 3).
 */
export function heatClasses(max: number): number[] {
  if (max <= 0) return [];
  const bounds: number[] = [];
  for (let i = 1; i <= HEAT_COLORS.length; i++) {
    const b = Math.ceil((max * i) / HEAT_COLORS.length);
    if (bounds.at(-1) !== b) bounds.push(b);
  }
  return bounds;
}

/** The class of a count: the first whose upper bound holds it. */
export const classOf = (count: number, bounds: number[]) => {
  const i = bounds.findIndex((b) => count <= b);
  return i < 0 ? bounds.length - 1 : i;
};

/** The colour of class `i` of `n` classes: spread over the whole scale so the top class is always the darkest. */
export function classColor(i: number, n: number): { fill: string; stroke: string } {
  const k = n <= 1 ? HEAT_COLORS.length - 1 : Math.round((i * (HEAT_COLORS.length - 1)) / (n - 1));
  return { fill: HEAT_COLORS[k] as string, stroke: HEAT_STROKES[k] as string };
}
