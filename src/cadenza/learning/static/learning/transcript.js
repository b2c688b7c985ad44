// The transcript beside a unit's video (learning/_video_transcript.html):
// - the line being played is highlighted (aria-current) and kept in view inside the list,
//   without scrolling the page;
// - a click on a line moves the video there (playing on if it was playing);
// - the search box shows only the lines that contain what is typed (case and accents ignored)
//   and says how many match;
// - with several languages, the select shows one transcript at a time.

const panel = document.querySelector("[data-transcript]");
const video = document.querySelector("[data-unit-video]");

const fold = (text) =>
  text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();

if (panel && video) {
  const lists = [...panel.querySelectorAll("[data-transcript-lines]")];
  const languageSelect = panel.querySelector("[data-transcript-language]");
  const search = panel.querySelector("[data-transcript-search]");
  const query = panel.querySelector("[data-transcript-query]");
  const count = panel.querySelector("[data-transcript-count]");
  let list = lists[0];
  let current = null;

  const linesOf = (element) => [...element.querySelectorAll(".transcript-line")];

  const keepInView = (line) => {
    const item = line.parentElement;
    const top = item.offsetTop;
    const bottom = top + item.offsetHeight;
    if (top < list.scrollTop || bottom > list.scrollTop + list.clientHeight) {
      list.scrollTop = Math.max(0, top - list.clientHeight / 3);
    }
  };

  const highlight = () => {
    const time = video.currentTime;
    let playing = null;
    for (const line of linesOf(list)) {
      if (Number(line.dataset.start) <= time && time < Number(line.dataset.end)) playing = line;
    }
    if (playing === current) return;
    if (current) {
      current.removeAttribute("aria-current");
      current.classList.remove("current");
    }
    current = playing;
    if (current) {
      current.setAttribute("aria-current", "true");
      current.classList.add("current");
      if (!list.contains(document.activeElement)) keepInView(current);
    }
  };

  const filter = () => {
    const wanted = fold(query.value.trim());
    const lines = linesOf(list);
    let shown = 0;
    for (const line of lines) {
      const matches = !wanted || fold(line.textContent).includes(wanted);
      line.parentElement.hidden = !matches;
      if (matches) shown += 1;
    }
    count.textContent = wanted
      ? `${shown} of ${lines.length} lines contain “${query.value.trim()}”.`
      : "";
  };

  const showLanguage = (language) => {
    for (const each of lists) each.hidden = each.dataset.transcriptLines !== language;
    list = lists.find((each) => !each.hidden) || lists[0];
    current = null;
    filter();
    highlight();
  };

  panel.addEventListener("click", (event) => {
    const line = event.target.closest(".transcript-line");
    if (!line) return;
    video.currentTime = Number(line.dataset.start);
    highlight();
  });
  query.addEventListener("input", filter);
  if (languageSelect) {
    languageSelect.addEventListener("change", () => showLanguage(languageSelect.value));
    showLanguage(languageSelect.value);
  }
  search.hidden = false;
  for (const event of ["timeupdate", "seeked", "loadedmetadata"]) {
    video.addEventListener(event, highlight);
  }
  highlight();
}
