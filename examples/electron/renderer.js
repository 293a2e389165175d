// The window: sends the settings, shows the progress the main process relays. It never loads
// Lamina itself (the renderer is sandboxed, and training here would freeze the window).
'use strict';

const form = document.getElementById('settings');
const startButton = document.getElementById('start');
const stopButton = document.getElementById('stop');
const status = document.getElementById('status');
const progress = document.getElementById('progress');
const table = document.getElementById('epochs-table');

window.training.onProgress((message) => {
  if (message.type === 'status') {
    status.textContent = message.text;
  } else if (message.type === 'batch') {
    progress.value = (message.epoch - 1 + message.batch / message.batches) / message.epochs;
    status.textContent = `Epoch ${message.epoch}/${message.epochs}, batch ${message.batch}/` +
      `${message.batches}, loss ${message.trainLoss.toFixed(4)}`;
  } else if (message.type === 'epoch') {
    progress.value = message.epoch / message.epochs;
    const row = table.insertRow();
    const cells = [message.epoch, message.trainLoss.toFixed(4), message.validLoss.toFixed(4),
      `${(100 * message.validAccuracy).toFixed(2)}%`, `${message.seconds.toFixed(1)}s`];
    for (const text of cells) row.insertCell().textContent = String(text);
  }
});

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  table.textContent = '';
  progress.value = 0;
  startButton.disabled = true;
  stopButton.disabled = false;
  try {
    const result = await window.training.start({
      trainSize: Number(document.getElementById('train-size').value),
      epochs: Number(document.getElementById('epochs').value),
    });
    status.textContent = result.stopped ? 'Stopped.'
      : `Done: ${(100 * result.accuracy).toFixed(2)}% right on ${result.testImages} test images.`;
  } catch (error) {
    status.textContent = `Failed: ${error.message}`;
  } finally {
    startButton.disabled = false;
    stopButton.disabled = true;
  }
});

stopButton.addEventListener('click', () => window.training.stop());
