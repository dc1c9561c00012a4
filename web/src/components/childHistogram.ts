// How the children of a pair would score (the Mates view): the sampled children's like
// probabilities in equal bins over 0–1, as an inline SVG, with the threshold t marked and the
// bins at or above it in the accent colour.

import type { ChildDistribution } from '../api';
import { s } from '../dom';
import { percent } from '../taste';

const W = 200;
const H = 64;
const AXIS = 12;

export function childHistogram(children: ChildDistribution): SVGSVGElement {
  const bins = children.histogram.length || 1;
  const tallest = Math.max(1, ...children.histogram);
  const barW = W / bins;
  const plotH = H - AXIS;
  const svg = s('svg', {
    class: 'child-histogram', viewBox: `0 0 ${W} ${H}`, role: 'img',
    'aria-label': `${children.samples} sampled children: ${percent(children.p_at_least)} score at least ${percent(children.threshold)}; mean ${percent(children.mean_probability)}`,
  });
  children.histogram.forEach((count, i) => {
    const h = (count / tallest) * (plotH - 2);
    const high = (i + 1) / bins > children.threshold;
    svg.append(s('rect', {
      class: high ? 'bin bin-high' : 'bin', x: i * barW + 1, y: plotH - h, width: barW - 2, height: h, 'data-count': count,
    }, s('title', null, `${count} of ${children.samples} children between ${percent(i / bins)} and ${percent((i + 1) / bins)}`)));
  });
  const tx = children.threshold * W;
  svg.append(
    s('line', { class: 'hist-axis', x1: 0, x2: W, y1: plotH + 0.5, y2: plotH + 0.5 }),
    s('line', { class: 'hist-threshold', x1: tx, x2: tx, y1: 0, y2: plotH }),
    s('text', { class: 'hist-label', x: 0, y: H - 1 }, '0%'),
    s('text', { class: 'hist-label', x: W, y: H - 1, 'text-anchor': 'end' }, '100%'),
    s('text', { class: 'hist-label', x: Math.min(tx, W - 30), y: H - 1, 'text-anchor': 'middle' }, `t ${percent(children.threshold)}`));
  return svg;
}
