// Train (classifier patent figs. 11–15): the player judges characters, and their own latent
// classifier learns their taste. The classifier's API is not built yet, so this view says so;
// the swipe deck itself works, fed with real characters, and says plainly that nothing is learned.

import { api, images } from '../api';
import { notYet } from '../components/notYet';
import { failure, loading, messageOf } from '../components/notice';
import { swipeDeck } from '../components/swipeDeck';
import { h, replace } from '../dom';
import { words } from '../genome';
import type { RouteContext } from '../router';

export function trainView({ signal }: RouteContext): HTMLElement {
  const deckBox = h('div', { class: 'deck-box' }, loading('characters for the deck'));
  api.allTokens({}, signal, 200).then((tokens) => {
    if (!tokens.length) return replace(deckBox, h('p', { class: 'muted' }, 'No characters to show yet.'));
    const deck = swipeDeck({
      items: tokens.map((t) => ({
        key: t.genome_hex, image: images.token(t.id), title: t.name,
        subtitle: `${words(t.attributes.hair_colour)} ${words(t.attributes.hair_style)}, ${words(t.attributes.expression)}`,
      })),
      signal,
      doneText: 'That was every character. Nothing was recorded.',
    });
    replace(deckBox, deck);
  }).catch((e) => {
    if (!signal.aborted) replace(deckBox, failure(messageOf(e)));
  });
  return notYet({
    title: 'Train',
    purpose: 'Judge characters one by one (like, dislike, skip, undo; later also a 0–1 slider, pick 1 of 2, pick 1 of 4, and your own classes) and Chimera trains a classifier of your taste on their genomes.',
    source: 'figs. 11–15 (label, swipe, slider, pick one of two or four, custom classes)',
    needs: [
      { route: 'GET /api/taste/queue', what: 'the next characters to judge' },
      { route: 'POST /api/taste/labels, /skip, /undo', what: 'your verdicts, kept and undoable' },
      { route: 'PUT /api/taste/classes', what: 'your own classes' },
      { route: 'GET /api/taste', what: 'label count, held-out accuracy, learning curve' },
    ],
  },
  h('h2', null, 'The deck, without a model'),
  h('p', { class: 'deck-disclaimer', role: 'note' }, 'Try the swipe deck on real characters. It is not connected to anything: your verdicts stay on this page and are forgotten when you leave it.'),
  deckBox);
}
