// Søgning på det statiske site: Pagefinds indeks (pagefind/) læses i browseren; ingen server.
const form = document.getElementById("soeg");
const field = document.getElementById("q");
const status = document.getElementById("status");
const list = document.getElementById("resultater");
const base = new URL(form.dataset.rod, location.href);
let engine = null;

async function load() {
  if (engine === null) {
    engine = await import(new URL(form.dataset.pagefind, location.href).href);
    await engine.options({ baseUrl: base.pathname });
  }
  return engine;
}

async function run(query) {
  list.replaceChildren();
  if (!query.trim()) {
    status.textContent = "";
    return;
  }
  status.textContent = "Søger …";
  const pagefind = await load();
  const found = await pagefind.search(query);
  const shown = await Promise.all(found.results.slice(0, 25).map((r) => r.data()));
  for (const data of shown) {
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = data.url;
    link.textContent = (data.meta && data.meta.title) || data.url;
    const excerpt = document.createElement("p");
    excerpt.innerHTML = data.excerpt; // Pagefinds uddrag: sidens tekst, escapet, med <mark>
    item.append(link, excerpt);
    list.append(item);
  }
  const n = found.results.length;
  status.textContent = n === 0 ? "Ingen resultater." : n === 1 ? "1 resultat." : `${n} resultater.`;
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const query = field.value;
  history.replaceState(null, "", `?q=${encodeURIComponent(query)}`);
  run(query);
});

const initial = new URLSearchParams(location.search).get("q");
if (initial) {
  field.value = initial;
  run(initial);
}
