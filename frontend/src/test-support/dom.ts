import { act, type ReactElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach } from 'vitest';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

/** A React root in the jsdom document for each test of the file (call at the top of a `@vitest-environment jsdom`
 *  test file, before its own hooks), unmounted and removed after the test. */
export function domRoot(): { readonly host: HTMLDivElement; render: (element: ReactElement) => HTMLDivElement } {
  let host: HTMLDivElement;
  let root: Root;
  beforeEach(() => {
    host = document.createElement('div');
    document.body.append(host);
    root = createRoot(host);
  });
  afterEach(() => {
    act(() => root.unmount());
    host.remove();
  });
  return {
    get host() {
      return host;
    },
    render(element) {
      act(() => root.render(element));
      return host;
    },
  };
}
