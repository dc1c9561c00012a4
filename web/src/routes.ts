// Every page of the app: the collection and breeding ("play"), and the taste model's views
// (Train, Ideal, Discover, Mates, Nudge), which need the signed-in session.

import type { Route } from './router';
import { breedView } from './views/breed';
import { characterView } from './views/character';
import { discoverView } from './views/discover';
import { exploreView } from './views/explore';
import { homeView } from './views/home';
import { idealView } from './views/ideal';
import { matesView } from './views/mates';
import { mineView } from './views/mine';
import { nudgeView } from './views/nudge';
import { trainView } from './views/train';

export const routes: Route[] = [
  { path: '/', title: 'Home', view: homeView },
  { path: '/characters', title: 'My characters', view: mineView, nav: { label: 'My characters', group: 'play' } },
  { path: '/explore', title: 'Explore', view: exploreView, nav: { label: 'Explore', group: 'play' } },
  { path: '/character/:id', title: 'Character', view: characterView },
  { path: '/breed', title: 'Breed', view: breedView, nav: { label: 'Breed', group: 'play' } },
  { path: '/train', title: 'Train', view: trainView, nav: { label: 'Train', group: 'taste' } },
  { path: '/ideal', title: 'Ideal', view: idealView, nav: { label: 'Ideal', group: 'taste' } },
  { path: '/discover', title: 'Discover', view: discoverView, nav: { label: 'Discover', group: 'taste' } },
  { path: '/mates', title: 'Mates', view: matesView, nav: { label: 'Mates', group: 'taste' } },
  { path: '/nudge', title: 'Nudge', view: nudgeView, nav: { label: 'Nudge', group: 'taste' } },
];
