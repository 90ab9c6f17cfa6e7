export interface PalettePicker {
  /** Shows a palette chosen elsewhere (e.g. Back) without firing onChange. */
  show(palette: string): void;
}

export function bindPalettePicker(
  select: HTMLSelectElement,
  palettes: readonly string[],
  selected: string,
  onChange: (palette: string) => void,
): PalettePicker {
  select.replaceChildren(...palettes.map((name) => new Option(name, name)));
  select.value = selected;
  select.disabled = false;
  select.addEventListener("change", () => onChange(select.value));
  return {
    show(palette) {
      select.value = palette;
    },
  };
}
