// Inside an opaque origin: IndexedDB and localStorage throw. Palate must keep the page working.
const errors = []
const palate = window.Palate.init({ name: 'sandboxed', onError: (error) => errors.push(`${error.name}: ${error.message}`) })
palate.ready.then(() => {
  for (let i = 0; i < 3; i++) palate.track('view', { id: 'hike-1', category: 'hiking/boots' })
  setTimeout(() => {
    const shelf = [...document.querySelectorAll('#shelf > li')].map((li) => li.textContent)
    parent.postMessage({ status: palate.getSnapshot().status, top: palate.interests()[0]?.key ?? null, shelf, errors }, '*')
  }, 100)
})
