// The stage's tiles: one per camera (or microphone) and one per shared screen, each with the
// person's name, their microphone's state and their raised hand; and the stage's layout:
// a grid that fits the tiles to the space, a speaker view that follows the active speaker,
// or a shared screen large with the tiles in a strip.

/** The tile of ``userId``'s ``kind`` ("camera" or "screen") in ``area``, made if missing;
 * answers its video element. */
export function mediaTile(area, { userId, kind, name, self }) {
  let figure = area.querySelector(`[data-peer="${userId}"][data-kind="${kind}"]`);
  if (!figure) {
    figure = document.createElement("figure");
    figure.className = "video-tile";
    figure.dataset.peer = String(userId);
    figure.dataset.kind = kind;
    if (self) figure.dataset.self = "";
    const video = document.createElement("video");
    video.autoplay = true;
    video.playsInline = true;
    // One's own microphone is never played back; nor is a screen's (it has no sound).
    video.muted = Boolean(self) || kind === "screen";
    const screenName = self ? "Your screen" : `${name}'s screen`;
    const label = kind === "screen" ? screenName : name;
    video.setAttribute("aria-label", kind === "screen" ? `Shared screen: ${screenName}` : `Video of ${name}`);
    const caption = document.createElement("figcaption");
    const who = document.createElement("span");
    who.className = "tile-name";
    who.textContent = label;
    const mic = document.createElement("span");
    mic.className = "tile-muted";
    mic.textContent = "microphone off";
    mic.hidden = true;
    const hand = document.createElement("span");
    hand.className = "tile-hand";
    hand.textContent = "hand raised";
    hand.hidden = true;
    caption.append(who, mic, hand);
    figure.append(video, caption);
    if (kind === "screen") area.prepend(figure);
    else area.append(figure);
  }
  return figure.querySelector("video");
}

/** Mark each of ``userId``'s tiles: microphone off, hand raised. */
export function markTiles(area, userId, { muted, hand }) {
  for (const figure of area.querySelectorAll(`[data-peer="${userId}"]`)) {
    if (muted !== undefined && figure.dataset.kind === "camera") {
      figure.querySelector(".tile-muted").hidden = !muted;
      figure.toggleAttribute("data-muted", muted);
    }
    if (hand !== undefined && figure.dataset.kind === "camera") {
      figure.querySelector(".tile-hand").hidden = !hand;
      figure.toggleAttribute("data-hand", hand);
    }
  }
}

/** How many columns make the largest 4:3 tiles (what cameras send by default: 640 × 480)
 * for ``count`` tiles in ``width`` × ``height`` with ``gap`` between them; answers the
 * columns and the tiles' width. */
export function bestColumns(count, width, height, gap = 0) {
  let best = { cols: 1, tileWidth: 0 };
  for (let cols = 1; cols <= Math.max(1, count); cols += 1) {
    const rows = Math.ceil(count / cols);
    const across = (width - gap * (cols - 1)) / cols;
    const down = (height - gap * (rows - 1)) / rows;
    const tileWidth = Math.floor(Math.min(across, (down * 4) / 3));
    if (tileWidth > best.tileWidth) best = { cols, tileWidth };
  }
  return best;
}

/** Keeps the stage's layout: "grid", "speaker" (the person's choice) or "screen" (whenever
 * someone shares one). ``speaker()`` answers the user id of the active speaker or null. */
export class StageLayout {
  constructor(area, { speaker, onChange }) {
    this.area = area;
    this.speaker = speaker;
    this.onChange = onChange || (() => {});
    this.chosen = "grid";
    this.pending = false;
    new MutationObserver(() => this.update()).observe(area, { childList: true });
    if (typeof ResizeObserver === "function") new ResizeObserver(() => this.update()).observe(area);
  }

  choose(layout) {
    this.chosen = layout;
    this.update();
  }

  update() {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.apply();
    });
  }

  apply() {
    const tiles = [...this.area.children];
    const screen = tiles.find((t) => t.dataset.kind === "screen" && !t.hasAttribute("data-self"))
      || tiles.find((t) => t.dataset.kind === "screen");
    let featured = null;
    let layout = "grid";
    if (screen) {
      layout = "screen";
      featured = screen;
    } else if (this.chosen === "speaker" && tiles.length > 1) {
      layout = "speaker";
      const id = this.speaker();
      const others = tiles.filter((t) => !t.hasAttribute("data-self"));
      featured = others.find((t) => t.dataset.peer === String(id))
        || others.find((t) => t.hasAttribute("data-featured"))
        || others[0] || tiles[0];
    }
    for (const tile of tiles) tile.toggleAttribute("data-featured", tile === featured);
    this.area.dataset.layout = layout;
    this.area.dataset.featured = featured ? featured.dataset.peer : "";
    const rect = this.area.getBoundingClientRect();
    if (layout === "grid") {
      const style = getComputedStyle(this.area);
      const gap = parseFloat(style.columnGap) || 0;
      const padX = (parseFloat(style.paddingLeft) || 0) + (parseFloat(style.paddingRight) || 0);
      const padY = (parseFloat(style.paddingTop) || 0) + (parseFloat(style.paddingBottom) || 0);
      const fit = bestColumns(tiles.length, rect.width - padX, rect.height - padY, gap);
      this.area.style.setProperty("--cols", String(fit.cols));
      this.area.style.setProperty("--tile-width", `${Math.max(fit.tileWidth, 40)}px`);
    } else {
      this.area.style.setProperty("--strip", String(Math.max(1, Math.min(tiles.length - 1, 6))));
    }
    this.onChange(layout, featured);
  }
}
