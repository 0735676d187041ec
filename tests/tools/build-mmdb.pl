#!/usr/bin/perl
# build-mmdb.pl - write a small MaxMind DB from the JSON fixture spec.
#
#   build-mmdb.pl --spec tests/fixtures/geo.json --kind KIND --out FILE
#
# KIND is one of:
#   asn        GeoLite2-ASN layout, from the spec's "asn" list
#   city       GeoLite2-City layout, from the "city" list
#   country    GeoLite2-Country: the "city" list without city, subdivisions
#              and location
#   dbip-city  DBIP-City-Lite: no subdivision codes, no registered country,
#              no accuracy radius (the DB-IP lite layout)
#   other      a valid database of another schema (GeoIP2-Anonymous-IP)
#
# Tests build their databases with this at test time, so every expected
# value is known exactly and no real database is needed.
use strict;
use warnings;
use Getopt::Long;
use JSON::PP;
use MaxMind::DB::Writer::Tree;

my ($spec_path, $kind, $out);
GetOptions('spec=s' => \$spec_path, 'kind=s' => \$kind, 'out=s' => \$out)
    && $spec_path && $kind && $out
    or die "usage: $0 --spec FILE --kind asn|city|country|dbip-city|other --out FILE\n";

open my $fh, '<:raw', $spec_path or die "$spec_path: $!\n";
my $spec = JSON::PP->new->utf8->decode(do { local $/; <$fh> });
close $fh;

my %types = (
    autonomous_system_number       => 'uint32',
    autonomous_system_organization => 'utf8_string',
    accuracy_radius                => 'uint16',
    latitude                       => 'double',
    longitude                      => 'double',
    geoname_id                     => 'uint32',
    is_anonymous                   => 'boolean',
    subdivisions                   => ['array', 'map'],
    map { $_ => 'map' } qw(city continent country registered_country location names),
);

my %layout = (
    asn         => ['GeoLite2-ASN', 'asn'],
    city        => ['GeoLite2-City', 'city'],
    country     => ['GeoLite2-Country', 'city'],
    'dbip-city' => ['DBIP-City-Lite', 'city'],
    other       => ['GeoIP2-Anonymous-IP', 'city'],
);
my $what = $layout{$kind} or die "unknown kind '$kind'\n";

my $tree = MaxMind::DB::Writer::Tree->new(
    ip_version               => 6,
    record_size              => 24,
    database_type            => $what->[0],
    languages                => ['en'],
    description              => { en => "CamTrace test fixture ($kind)" },
    alias_ipv6_to_ipv4       => 1,
    remove_reserved_networks => 0,
    map_key_type_callback    => sub { $types{ $_[0] } // 'utf8_string' },
);

sub reshape {
    my ($data) = @_;
    my %r = %$data;
    if ($kind eq 'country') {
        delete @r{qw(city subdivisions location)};
    } elsif ($kind eq 'dbip-city') {
        delete $r{registered_country};
        $r{subdivisions} = [ map { { names => $_->{names} } } @{ $r{subdivisions} } ]
            if $r{subdivisions};
        if ($r{location}) {
            my %loc = %{ $r{location} };
            delete $loc{accuracy_radius};
            $r{location} = \%loc;
        }
    } elsif ($kind eq 'other') {
        %r = (is_anonymous => JSON::PP::true);
    }
    return \%r;
}

for my $entry (@{ $spec->{ $what->[1] } }) {
    $tree->insert_network($entry->{network}, reshape($entry->{data}));
}

open my $outfh, '>:raw', $out or die "$out: $!\n";
$tree->write_tree($outfh);
close $outfh or die "$out: $!\n";
