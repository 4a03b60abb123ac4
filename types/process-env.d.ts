// Bundlers replace `process.env.NODE_ENV`; React and Vue strip their development code the same way.
declare const process: { env: { NODE_ENV?: string } }
