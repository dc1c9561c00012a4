// Ideal (classifier patent fig. 4 and 17): the genome your trained classifier rates highest,
// decoded into its portrait. Waits for the taste model's API.

import { notYet } from '../components/notYet';

export function idealView(): HTMLElement {
  return notYet({
    title: 'Ideal',
    purpose: 'Reverse your trained classifier into the genome it rates highest and draw it: your ideal character, and variations close to it.',
    source: 'fig. 4 (an ideal representation per user) and fig. 17 (a reversible classifier)',
    needs: [{ route: 'GET /api/taste/ideal', what: 'the ideal genome and its variations' }],
  });
}
