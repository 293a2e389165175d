// The only bridge between the window and the main process: two calls and one event.
'use strict';

const { contextBridge, ipcRenderer } = require('electron');

contextBridge.exposeInMainWorld('training', {
  start: (settings) => ipcRenderer.invoke('train:start', settings),
  stop: () => ipcRenderer.invoke('train:stop'),
  onProgress: (listener) => {
    ipcRenderer.on('train:progress', (_event, message) => listener(message));
  },
});
