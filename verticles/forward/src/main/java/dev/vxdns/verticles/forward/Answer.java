package dev.vxdns.verticles.forward;

/** What a try at a backend comes to; called once, on the loop that sent the query. */
interface Answer {
  void answered(byte[] wire);

  void failed(String why);
}
