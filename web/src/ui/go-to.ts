/**
 * The "go to" box: paste re, im and zoom (e.g. from a paper or another
 * viewer) and the map moves there. The values go through the same parser as a
 * permalink, so anything a link can say the box accepts, clamped the same way.
 */
import { parseViewHash, type ParsedView, type ViewLimits } from "../view-state";

export interface GoToElements {
  form: HTMLFormElement;
  re: HTMLInputElement;
  im: HTMLInputElement;
  zoom: HTMLInputElement;
  note: HTMLOutputElement;
}

export function parseGoTo(re: string, im: string, zoom: string, limits: ViewLimits): ParsedView | undefined {
  const params = new URLSearchParams({ re: re.trim(), im: im.trim(), z: zoom.trim() });
  const view = parseViewHash(`#${params}`, limits);
  return view.center && view.zoom !== undefined ? view : undefined;
}

export function bindGoTo(elements: GoToElements, limits: ViewLimits, go: (view: ParsedView) => void): void {
  elements.form.addEventListener("submit", (event) => {
    event.preventDefault();
    const view = parseGoTo(elements.re.value, elements.im.value, elements.zoom.value, limits);
    const rule = `re and im must be decimal numbers of at most ${limits.maxCoordinateChars} characters`;
    elements.note.value = view ? "" : `${rule}, zoom from ${limits.minZoom} to ${limits.maxZoom}`;
    if (view) go(view);
  });
}
