#!/usr/bin/perl
# An ESME written with Perl's Net::SMPP (an SMPP 3.4 implementation nobody here wrote),
# used to check that our simulator answers a foreign client correctly.
# usage: net-smpp-client.pl HOST PORT SYSTEM_ID PASSWORD TO TEXT
# Prints one JSON object per line for every step; exits non-zero on failure.
use strict;
use warnings;
use Net::SMPP;
use JSON::PP;

$| = 1;
my ($host, $port, $system_id, $password, $to, $text) = @ARGV;
my $json = JSON::PP->new->canonical;
sub emit { my ($event, $data) = @_; print $json->encode({ event => $event, %$data }), "\n"; }
sub cstr { my $v = shift; return undef unless defined $v; $v =~ s/\0+$//; return $v; }

local $SIG{ALRM} = sub { emit(error => { message => 'timeout' }); exit 3; };
alarm 30;

my ($smpp, $resp) = Net::SMPP->new_transceiver($host, port => $port, system_id => $system_id,
  password => $password, system_type => 'PERL', interface_version => 0x34, timeout => 10);
if (!$smpp) { emit(error => { message => "connect failed: $!" }); exit 2; }
emit(bind_transceiver_resp => { status => $resp->{status}, system_id => cstr($resp->{system_id}) });
exit 1 if $resp->{status};

my $sub = $smpp->submit_sm(source_addr_ton => 5, source_addr_npi => 0, source_addr => 'PERLSMPP',
  dest_addr_ton => 1, dest_addr_npi => 1, destination_addr => $to,
  registered_delivery => 1, data_coding => 0, short_message => $text);
emit(submit_sm_resp => { status => $sub->{status}, message_id => cstr($sub->{message_id}) });
exit 1 if $sub->{status};

my $q = $smpp->query_sm(message_id => $sub->{message_id}, source_addr_ton => 5, source_addr_npi => 0,
  source_addr => 'PERLSMPP');
emit(query_sm_resp => { status => $q->{status}, message_id => cstr($q->{message_id}),
  message_state => $q->{message_state} });

my $el = $smpp->enquire_link();
emit(enquire_link_resp => { status => $el->{status} });

while (my $pdu = $smpp->read_pdu()) {
  if ($pdu->{cmd} == 0x00000005) {
    $smpp->deliver_sm_resp(seq => $pdu->{seq}, message_id => '');
    my $state = $pdu->{message_state};
    emit(deliver_sm => {
      esm_class => $pdu->{esm_class},
      source_addr => cstr($pdu->{source_addr}),
      destination_addr => cstr($pdu->{destination_addr}),
      short_message => $pdu->{short_message},
      receipted_message_id => cstr($pdu->{receipted_message_id}),
      message_state => defined $state ? unpack('C', $state) : undef,
    });
    last;
  } elsif ($pdu->{cmd} == 0x00000015) {
    $smpp->enquire_link_resp(seq => $pdu->{seq});
  }
}

my $u = $smpp->unbind();
emit(unbind_resp => { status => defined $u ? $u->{status} : -1 });
exit 0;
