#!/usr/bin/perl
# An SMSC written with Perl's Net::SMPP (an SMPP 3.4 implementation nobody here wrote),
# used to check that our client talks to a foreign server correctly.
# usage: net-smpp-server.pl   — listens on 127.0.0.1, prints {"event":"listening","port":N},
# accepts one connection, answers bind and submit_sm (message ids "perl-1", "perl-2", …),
# sends one deliver_sm receipt per submit with registered_delivery, then one MO message,
# answers enquire_link and unbind. Every PDU it receives is printed as a JSON line.
use strict;
use warnings;
use Net::SMPP;
use JSON::PP;

$| = 1;
my $json = JSON::PP->new->canonical;
sub emit { my ($event, $data) = @_; print $json->encode({ event => $event, %$data }), "\n"; }
sub cstr { my $v = shift; return undef unless defined $v; $v =~ s/\0+$//; return $v; }

local $SIG{ALRM} = sub { emit(error => { message => 'timeout' }); exit 3; };
alarm 60;

my $listen = Net::SMPP->new_listen('127.0.0.1', port => 0, smpp_version => 0x34, timeout => 60)
  or die "listen failed: $!";
emit(listening => { port => $listen->sockport });
my $conn = $listen->accept or die "accept failed: $!";
my $n = 0;
my @pending;
while (my $pdu = $conn->read_pdu()) {
  my $cmd = $pdu->{cmd};
  if ($cmd == 0x00000009 || $cmd == 0x00000002 || $cmd == 0x00000001) {
    emit(bind => { command_id => $cmd, system_id => cstr($pdu->{system_id}), password => cstr($pdu->{password}),
      interface_version => $pdu->{interface_version} });
    my $ok = cstr($pdu->{password}) eq 'secret' ? 0 : 0x0E;
    my %m = (0x00000009 => 'bind_transceiver_resp', 0x00000002 => 'bind_transmitter_resp', 0x00000001 => 'bind_receiver_resp');
    my $method = $m{$cmd};
    $conn->$method(seq => $pdu->{seq}, status => $ok, system_id => 'PERLSMSC');
  } elsif ($cmd == 0x00000004) {
    $n++;
    my $id = "perl-$n";
    emit(submit_sm => { seq => $pdu->{seq}, source_addr => cstr($pdu->{source_addr}),
      destination_addr => cstr($pdu->{destination_addr}), data_coding => $pdu->{data_coding},
      esm_class => $pdu->{esm_class}, registered_delivery => $pdu->{registered_delivery},
      short_message_hex => unpack('H*', $pdu->{short_message}), message_id => $id });
    $conn->submit_sm_resp(seq => $pdu->{seq}, message_id => $id);
    push @pending, [$id, cstr($pdu->{source_addr}), cstr($pdu->{destination_addr})] if $pdu->{registered_delivery} & 1;
    for my $p (@pending) {
      my ($mid, $src, $dst) = @$p;
      $conn->deliver_sm(source_addr => $dst, destination_addr => $src, esm_class => 0x04, async => 1,
        short_message => "id:$mid sub:001 dlvrd:001 submit date:2401011200 done date:2401011201 stat:DELIVRD err:000 text:",
        receipted_message_id => "$mid\0", message_state => pack('C', 2));
    }
    @pending = ();
  } elsif ($cmd == 0x80000005) {
    emit(deliver_sm_resp => { seq => $pdu->{seq}, status => $pdu->{status} });
  } elsif ($cmd == 0x00000015) {
    emit(enquire_link => { seq => $pdu->{seq} });
    $conn->enquire_link_resp(seq => $pdu->{seq});
  } elsif ($cmd == 0x00000006) {
    emit(unbind => { seq => $pdu->{seq} });
    $conn->unbind_resp(seq => $pdu->{seq});
    last;
  } else {
    emit(other => { command_id => $cmd, seq => $pdu->{seq} });
    $conn->generic_nack(seq => $pdu->{seq}, status => 0x03);
  }
}
emit(closed => {});
exit 0;
