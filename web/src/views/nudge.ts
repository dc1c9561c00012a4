// Nudge: move a genome a small step towards your taste in latent space and see the result.
// Waits for the taste model's API.

import { notYet } from '../components/notYet';

export function nudgeView(): HTMLElement {
  return notYet({
    title: 'Nudge',
    purpose: 'Take a character’s genome and push it a little towards what your classifier likes, gene by gene, to see (not mint) how it would change.',
    source: 'reverse classification with an allowance for error (variations near the ideal)',
    needs: [{ route: 'GET /api/taste/nudge/{id}', what: 'the fewest gene edits that raise a character’s score' }],
  });
}
