// Suggest a course's web address from its title until the author edits the address.
const form = document.querySelector(".course-form");
const title = form?.querySelector("input[name=title]");
const slug = form?.querySelector("input[name=slug]");
if (title && slug) {
  let touched = slug.value !== "";
  const slugify = (text) =>
    text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 80);
  slug.addEventListener("input", () => { touched = slug.value !== ""; });
  title.addEventListener("input", () => { if (!touched) slug.value = slugify(title.value); });
}
