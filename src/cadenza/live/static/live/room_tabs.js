// The side panel's tabs (Chat · Q&A · Polls · People, and Host for hosts), after the WAI-ARIA
// tabs pattern: one tab in the Tab order, arrow keys, Home and End move between tabs and
// show their panel. Each tab carries a count: unread chat messages, open questions, open
// polls, people here, raised hands.

export class RoomTabs {
  constructor(tablist, { onShow } = {}) {
    this.tablist = tablist;
    this.tabs = [...tablist.querySelectorAll("[role=tab]")];
    this.onShow = onShow || (() => {});
    for (const tab of this.tabs) {
      tab.addEventListener("click", () => this.show(tab.dataset.tab, { focus: true }));
    }
    tablist.addEventListener("keydown", (event) => this.key(event));
  }

  get selected() {
    const tab = this.tabs.find((t) => t.getAttribute("aria-selected") === "true");
    return tab ? tab.dataset.tab : null;
  }

  show(name, { focus = false } = {}) {
    for (const tab of this.tabs) {
      const on = tab.dataset.tab === name;
      tab.setAttribute("aria-selected", String(on));
      tab.tabIndex = on ? 0 : -1;
      document.getElementById(tab.getAttribute("aria-controls")).hidden = !on;
      if (on && focus) tab.focus();
    }
    this.onShow(name);
  }

  key(event) {
    const index = this.tabs.indexOf(document.activeElement);
    if (index === -1) return;
    const last = this.tabs.length - 1;
    const to = {
      ArrowRight: index === last ? 0 : index + 1,
      ArrowLeft: index === 0 ? last : index - 1,
      Home: 0,
      End: last,
    }[event.key];
    if (to === undefined) return;
    event.preventDefault();
    this.show(this.tabs[to].dataset.tab, { focus: true });
  }

  /** Set the count of tab ``name``: ``count`` (0 hides it) and what it counts, for screen readers. */
  count(name, count, what) {
    const badge = document.getElementById(`count-${name}`);
    if (!badge) return;
    const text = count ? String(count) : "";
    if (badge.dataset.count === text) return;
    badge.dataset.count = text;
    badge.replaceChildren();
    if (count) {
      const hidden = document.createElement("span");
      hidden.className = "visually-hidden";
      hidden.textContent = ` ${what}`;
      badge.append(text, hidden);
    }
  }
}
