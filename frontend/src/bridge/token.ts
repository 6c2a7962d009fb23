const STORAGE_KEY = 'vdp.token';

/**
 * The server-mode token arrives in the URL fragment (`#token=...`, never sent to the server's logs). It is moved
 * into sessionStorage for the tab and removed from the visible URL, so a copied address never carries it.
 */
export function takeToken(location: Location = window.location, history: History = window.history): string | null {
  const params = new URLSearchParams(location.hash.replace(/^#/, ''));
  const fromFragment = params.get('token');
  if (fromFragment) {
    sessionStorage.setItem(STORAGE_KEY, fromFragment);
    params.delete('token');
    const rest = params.toString();
    history.replaceState(history.state, '', `${location.pathname}${location.search}${rest ? `#${rest}` : ''}`);
    return fromFragment;
  }
  return sessionStorage.getItem(STORAGE_KEY);
}
