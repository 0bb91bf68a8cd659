// Runs in the page before its own scripts: resolves `window.__dashboardVisible` with the time
// (ms since navigation) of the first frame drawn after the sessions list is in the document.
// Measured inside the page so that Playwright's polling neither delays nor slows it.
export const OBSERVE_DASHBOARD = `
  window.__dashboardVisible = new Promise((resolve) => {
    const shown = () => document.querySelector('[data-testid=previous-sessions]');
    const observer = new MutationObserver(() => {
      if (!shown()) return;
      observer.disconnect();
      requestAnimationFrame(() => resolve(performance.now()));
    });
    observer.observe(document, { childList: true, subtree: true });
  });
`;
