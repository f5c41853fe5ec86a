import type { OpenWebPage } from './open-web-page';

/** A new tab, so the parent's place in the mini-program (H5) stays where it was. */
export const openWebPage: OpenWebPage = async (url) => {
  const tab = window.open(url, '_blank', 'noopener');
  if (!tab) window.location.assign(url);
};
