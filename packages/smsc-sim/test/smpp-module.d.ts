// The npm `smpp` package ships no types; the tests and the benchmark use it as an independent peer.
declare module 'smpp';
