// The visible error state: a banner with the message and a Retry button,
// instead of leaving the user in front of a grey map.

export interface Banner {
  show(message: string, onRetry: () => void): void;
  hide(): void;
}

export function bindBanner(root: HTMLElement, text: HTMLElement, retryButton: HTMLButtonElement): Banner {
  let retry: (() => void) | undefined;
  retryButton.addEventListener("click", () => retry?.());
  return {
    show(message, onRetry) {
      text.textContent = message;
      retry = onRetry;
      root.hidden = false;
    },
    hide() {
      root.hidden = true;
      retry = undefined;
    },
  };
}
