#!/usr/bin/env node
// After prebuildify: copies the OpenMP runtime the binary links (libgomp.so.1 on Linux) next
// to it in prebuilds/<platform>-<arch>/, where the binary's RUNPATH ($ORIGIN) finds it, so the
// prebuilt package loads on a machine without GCC's runtime. libgomp is distributed under the
// GCC Runtime Library Exception, which allows this. OpenBLAS is linked statically already.
'use strict';

const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..', '..');
const dir = path.join(root, 'prebuilds', `${process.platform}-${process.arch}`);

function main() {
  if (process.platform !== 'linux') return;
  const binaries = fs.readdirSync(dir).filter((name) => name.endsWith('.node'));
  if (binaries.length === 0) throw new Error(`no prebuilt binary in ${dir}; run prebuildify first`);
  const needed = execFileSync('readelf', ['-d', path.join(dir, binaries[0])]).toString();
  if (!needed.includes('libgomp.so.1')) return;
  const compiler = process.env.CXX || 'g++';
  const source = execFileSync(compiler, ['-print-file-name=libgomp.so.1']).toString().trim();
  if (!path.isAbsolute(source) || !fs.existsSync(source)) {
    throw new Error(`${compiler} does not know where libgomp.so.1 is (got '${source}')`);
  }
  const target = path.join(dir, 'libgomp.so.1');
  fs.copyFileSync(fs.realpathSync(source), target);
  process.stdout.write(`lamina: bundled ${fs.realpathSync(source)} as ${target}\n`);
}

main();
