// The main process: opens the window and trains in a worker thread, so that neither the window
// nor this process's event loop waits for training. The window asks through IPC (preload.js)
// and hears progress back the same way.
'use strict';

const path = require('path');
const { Worker } = require('worker_threads');
const { app, BrowserWindow, ipcMain } = require('electron');

/** The running training worker, or null. */
let worker = null;

function createWindow() {
  const window = new BrowserWindow({
    width: 760,
    height: 600,
    webPreferences: {
      preload: path.join(__dirname, 'preload.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    },
  });
  window.loadFile(path.join(__dirname, 'index.html'));
}

/** Keeps the settings the window sends within sensible bounds. */
function readSettings(settings) {
  const clamp = (value, low, high, fallback) =>
    Number.isInteger(value) ? Math.min(high, Math.max(low, value)) : fallback;
  return {
    trainSize: clamp(settings && settings.trainSize, 1000, 60000, 10000),
    epochs: clamp(settings && settings.epochs, 1, 50, 5),
  };
}

// Starts training; resolves with the result when the worker is done.
ipcMain.handle('train:start', (event, settings) => {
  if (worker) throw new Error('Training is already running');
  const sender = event.sender;
  return new Promise((resolve, reject) => {
    worker = new Worker(path.join(__dirname, 'train-worker.js'), {
      workerData: readSettings(settings),
    });
    worker.on('message', (message) => {
      if (message.type === 'done') resolve(message);
      else if (message.type === 'failed') reject(new Error(message.error));
      else if (!sender.isDestroyed()) sender.send('train:progress', message);
    });
    worker.on('error', reject);
    worker.on('exit', (code) => {
      worker = null;
      if (code !== 0) reject(new Error(`The training worker stopped with exit code ${code}`));
    });
  });
});

// Stops training after the current batch (the worker aborts its fit).
ipcMain.handle('train:stop', () => {
  if (worker) worker.postMessage('stop');
});

app.whenReady().then(() => {
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('window-all-closed', () => {
  if (worker) worker.terminate();
  if (process.platform !== 'darwin') app.quit();
});
