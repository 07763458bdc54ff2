// Shows what the sandboxed frame reports; the test reads it from #result.
window.addEventListener('message', (event) => {
  document.getElementById('result').textContent = JSON.stringify(event.data)
})
