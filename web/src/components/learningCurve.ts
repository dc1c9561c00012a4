// The learning curve (classifier patent: "testing training accuracy with split labelled data sets
// can help provide a user feedback as to the progress of their labelling efforts"): held-out
// accuracy against the number of labels trained on, as an inline SVG, with the chance line.

import type { CurvePoint } from '../api';
import { s } from '../dom';

const W = 320;
const H = 150;
const PAD = { left: 34, right: 10, top: 10, bottom: 26 };

/** `chance`: the accuracy of guessing (½ for a taste, 1/N for N classes). */
export function learningCurve(points: CurvePoint[], chance: number): SVGSVGElement {
  const maxLabels = Math.max(10, ...points.map((p) => p.labels));
  const x = (labels: number) => PAD.left + (labels / maxLabels) * (W - PAD.left - PAD.right);
  const y = (accuracy: number) => PAD.top + (1 - accuracy) * (H - PAD.top - PAD.bottom);
  const last = points[points.length - 1];
  const svg = s('svg', {
    class: 'curve-svg', viewBox: `0 0 ${W} ${H}`, role: 'img', 'data-points': points.length,
    'aria-label': points.length
      ? `Learning curve: held-out accuracy ${points.map((p) => `${Math.round(p.accuracy * 100)}% at ${p.labels} labels`).join(', ')}`
      : 'Learning curve: not enough labels yet',
  });
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    svg.append(
      s('line', { class: 'curve-grid', x1: PAD.left, x2: W - PAD.right, y1: y(tick), y2: y(tick) }),
      s('text', { class: 'curve-tick', x: PAD.left - 4, y: y(tick) + 3, 'text-anchor': 'end' }, `${tick * 100}%`));
  }
  svg.append(
    s('line', { class: 'curve-chance', x1: PAD.left, x2: W - PAD.right, y1: y(chance), y2: y(chance) }),
    s('text', { class: 'curve-tick', x: W - PAD.right, y: y(chance) - 3, 'text-anchor': 'end' }, 'chance'),
    s('text', { class: 'curve-tick', x: PAD.left, y: H - 6 }, '0'),
    s('text', { class: 'curve-tick', x: W - PAD.right, y: H - 6, 'text-anchor': 'end' }, `${maxLabels} labels`));
  if (points.length) {
    svg.append(s('polyline', { class: 'curve-line', points: points.map((p) => `${x(p.labels)},${y(p.accuracy)}`).join(' ') }));
    for (const p of points) {
      svg.append(s('circle', { class: 'curve-point', cx: x(p.labels), cy: y(p.accuracy), r: 3 },
        s('title', null, `${p.labels} labels: ${Math.round(p.accuracy * 100)}% held out`)));
    }
    svg.append(s('text', { class: 'curve-last', x: Math.min(x(last.labels), W - PAD.right - 20), y: y(last.accuracy) - 7, 'text-anchor': 'middle' },
      `${Math.round(last.accuracy * 100)}%`));
  } else {
    svg.append(s('text', { class: 'curve-empty', x: W / 2, y: H / 2, 'text-anchor': 'middle' }, 'The curve starts at 8 labels'));
  }
  return svg;
}
