// The npm `smpp` package ships no types; the tests use it as an independent peer.
declare module 'smpp';
