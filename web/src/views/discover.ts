// Discover (classifier patent fig. 16): a deck of characters your classifier rates highly.
// Waits for the taste model's API.

import { notYet } from '../components/notYet';

export function discoverView(): HTMLElement {
  return notYet({
    title: 'Discover',
    purpose: 'Swipe through characters on chain ranked by your classifier, best matches first.',
    source: 'fig. 16 (a deck of images with a high class score)',
    needs: [{ route: 'GET /api/taste/rank', what: 'every character ranked by your model' }],
  });
}
