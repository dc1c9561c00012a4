// Mates: pairs whose children your classifier would like most, to steer breeding.
// Waits for the taste model's API.

import { notYet } from '../components/notYet';

export function matesView(): HTMLElement {
  return notYet({
    title: 'Mates',
    purpose: 'Rank possible partners for one of your characters by how much your classifier likes their likely children (scoring the preview’s samples and odds).',
    source: 'the classifier steering fusion (figs. 9–10: finding the best match)',
    needs: [{ route: 'GET /api/taste/mates/{id}', what: 'partners ranked by the expected score of their children' }],
  });
}
