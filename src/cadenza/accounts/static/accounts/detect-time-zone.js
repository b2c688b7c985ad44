// Sign-up: fill the hidden field with the zone this device reports, and preselect it, so a
// new account shows times in the right zone without the person scrolling 600 names.
const detected = document.querySelector("input[name=detected_time_zone]");
const select = document.querySelector("select[name=time_zone]");
let zone = "";
try {
  zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
} catch {
  zone = "";
}
if (detected && zone) {
  detected.value = zone;
  if (select && !select.value && [...select.options].some((option) => option.value === zone)) {
    select.value = zone;
  }
}
