package dev.vxdns.update;

import dev.vxdns.zone.CheckNames;
import dev.vxdns.zone.Records;
import dev.vxdns.zone.Zone;
import dev.vxdns.zone.ZoneDiff;
import dev.vxdns.zone.ZoneRules;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSEC3PARAMRecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Serial;
import org.xbill.DNS.Type;

/**
 * RFC 2136 dynamic update, applied the way BIND 9.20 applies it (lib/ns/update.c): zone section,
 * prescan and update-policy, prerequisites, then the updates in order on a working copy, all or
 * nothing; the SOA serial moves by {@link SerialUpdateMethod} when the update changed the zone and
 * did not raise the serial itself.
 *
 * <p>Pure and thread-safe: the zone is not changed; the caller applies {@link UpdateResult#diff()}
 * with {@code zone.apply(diff)}, which then succeeds.
 */
public final class DynamicUpdate {

  /** BIND's default sig-signing-type: a private type named keeps for itself. */
  static final int PRIVATE_TYPE = 65534;

  private DynamicUpdate() {}

  /**
   * Applies one UPDATE to a working copy of the zone.
   *
   * @param zone the zone the UPDATE's zone section named (found by the caller)
   * @param update the parsed UPDATE message
   * @param who the signer, client address and transport, for update-policy
   * @param policy the zone's update-policy; null when it has none, in which case allow-update was
   *     already checked and every change is permitted
   * @param method how to move the SOA serial
   * @param rules the zone's {@code max-records-per-type}, {@code max-types-per-name} and {@code
   *     max-records} (an update that would go over them fails with SERVFAIL) and {@code
   *     check-names} (a record whose names fail it is REFUSED at {@code fail}), as in BIND
   * @param now the time, for the unixtime and date serial methods
   */
  public static UpdateResult apply(
      Zone zone,
      Message update,
      UpdateIdentity who,
      UpdatePolicy policy,
      SerialUpdateMethod method,
      ZoneRules rules,
      Instant now) {
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(update, "update");
    Objects.requireNonNull(who, "who");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(rules, "rules");
    Objects.requireNonNull(now, "now");
    try {
      return new Run(zone, update, who, policy, method, rules, now).run();
    } catch (Failure failure) {
      return new UpdateResult(failure.rcode, null, failure.getMessage());
    } catch (RuntimeException e) {
      // A record dnsjava accepted but this code did not expect: answer, never crash the caller.
      return new UpdateResult(Rcode.SERVFAIL, null, "update failed: " + e);
    }
  }

  /** Ends an update with an rcode; everything done so far is dropped with the working copy. */
  private static final class Failure extends Exception {
    private static final long serialVersionUID = 1L;
    final int rcode;

    Failure(int rcode, String reason) {
      super(reason, null, false, false);
      this.rcode = rcode;
    }
  }

  /** One update's state: the request, its update RRs after the prescan, and the working copy. */
  private static final class Run {
    private final Message update;
    private final UpdateIdentity who;
    private final UpdatePolicy policy;
    private final SerialUpdateMethod method;
    private final ZoneRules rules;
    private final Instant now;
    private final Name origin;
    private final int zoneClass;
    private final WorkingZone work;
    private final int recordsBefore;
    private final List<String> ignored = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    Run(
        Zone zone,
        Message update,
        UpdateIdentity who,
        UpdatePolicy policy,
        SerialUpdateMethod method,
        ZoneRules rules,
        Instant now) {
      this.update = update;
      this.who = who;
      this.policy = policy;
      this.method = method;
      this.rules = rules;
      this.now = now;
      this.origin = zone.origin();
      this.zoneClass = zone.soa().getDClass();
      this.work = new WorkingZone(zone);
      this.recordsBefore = zone.recordCount();
    }

    UpdateResult run() throws Failure {
      checkZoneSection();
      List<Record> prerequisites = update.getSection(Section.PREREQ);
      List<Record> updates = update.getSection(Section.UPDATE);
      checkAsBindParses(prerequisites, updates);
      if (policy != null && who.keyName() == null && !who.tcp()) {
        // update.c send_update: with an update-policy, unsigned updates need TCP (tcp-self).
        throw new Failure(
            Rcode.REFUSED, "update denied: update-policy needs a signed request or TCP");
      }
      List<Record> prepared = new ArrayList<>(updates.size());
      int[] maxByType = prescan(updates, prepared);
      checkPrerequisites(prerequisites);
      boolean serialSet = false;
      for (int i = 0; i < prepared.size(); i++) {
        serialSet |= applyOne(prepared.get(i), maxByType[i]);
      }
      if (work.diff() == null) {
        return new UpdateResult(Rcode.NOERROR, null, withNotes("redundant request"));
      }
      checkNameServers();
      if (!serialSet) {
        SOARecord soa = work.soa();
        work.replaceSoa(withSerial(soa, method.next(soa.getSerial(), now)));
      }
      if (rules.checkIntegrity()) {
        checkMailExchangers();
      }
      removeOrphanedDs();
      ZoneDiff diff = work.diff();
      // As update.c, last: the zone's size once changed.
      String tooBig =
          rules.zoneSizeProblem((long) recordsBefore - diff.deleted().size() + diff.added().size());
      if (tooBig != null) {
        throw new Failure(Rcode.SERVFAIL, tooBig);
      }
      return new UpdateResult(
          Rcode.NOERROR,
          diff,
          withNotes(
              "committed: "
                  + diff.deleted().size()
                  + " deleted, "
                  + diff.added().size()
                  + " added, serial "
                  + diff.fromSerial()
                  + " -> "
                  + diff.toSerial()));
    }

    private String withNotes(String reason) {
      String withWarnings =
          warnings.isEmpty() ? reason : reason + "; warnings: " + String.join("; ", warnings);
      return ignored.isEmpty()
          ? withWarnings
          : withWarnings + "; ignored: " + String.join("; ", ignored);
    }

    /** ns_update_start: one SOA question naming this zone. */
    private void checkZoneSection() throws Failure {
      if (update.getHeader().getOpcode() != Opcode.UPDATE) {
        throw new Failure(Rcode.FORMERR, "not an UPDATE message");
      }
      List<Record> zoneSection = update.getSection(Section.ZONE);
      if (zoneSection.isEmpty()) {
        throw new Failure(Rcode.FORMERR, "update zone section empty");
      }
      Record question = zoneSection.get(0);
      if (question.getType() != Type.SOA) {
        throw new Failure(Rcode.FORMERR, "update zone section contains non-SOA");
      }
      if (zoneSection.size() > 1) {
        throw new Failure(Rcode.FORMERR, "update zone section contains multiple RRs");
      }
      if (question.getDClass() == DClass.ANY || question.getDClass() == DClass.NONE) {
        throw new Failure(Rcode.FORMERR, "update zone section has class ANY or NONE");
      }
      if (!question.getName().equals(origin) || question.getDClass() != zoneClass) {
        throw new Failure(
            Rcode.NOTAUTH,
            "not authoritative for update zone "
                + question.getName()
                + "/"
                + DClass.string(question.getDClass()));
      }
    }

    /**
     * What BIND's message parser rejects before update.c runs: rdata in a class ANY or NONE
     * prerequisite or a class ANY update RR (FORMERR), and an NSEC3 owner that is no hash.
     */
    private void checkAsBindParses(List<Record> prerequisites, List<Record> updates)
        throws Failure {
      for (Record record : prerequisites) {
        checkNsec3Owner(record);
        int dclass = record.getDClass();
        if ((dclass == DClass.ANY || dclass == DClass.NONE) && hasRdata(record)) {
          throw new Failure(Rcode.FORMERR, "class ANY or NONE prerequisite RDATA is not empty");
        }
      }
      for (Record record : updates) {
        checkNsec3Owner(record);
        if (record.getDClass() == DClass.ANY && hasRdata(record)) {
          throw new Failure(Rcode.FORMERR, "class ANY update RDATA is not empty");
        }
      }
    }

    /**
     * BIND's parser rejects an NSEC3 whose owner's first label is not an unpadded base32hex hash
     * (DNS_R_BADOWNERNAME), and named answers that parse failure with SERVFAIL.
     */
    private void checkNsec3Owner(Record record) throws Failure {
      if (record.getType() == Type.NSEC3 && !isBase32HexLabel(record.getName())) {
        throw new Failure(Rcode.SERVFAIL, "bad owner name for NSEC3: " + record.getName());
      }
    }

    /**
     * update.c send_update: every update RR in the zone, of a usable class and type, and permitted
     * by the update-policy. Returns each RR's per-type maximum from the rule that granted it.
     */
    private int[] prescan(List<Record> updates, List<Record> prepared) throws Failure {
      int[] maxByType = new int[updates.size()];
      for (int i = 0; i < updates.size(); i++) {
        Record record = updates.get(i);
        Name name = record.getName();
        int type = record.getType();
        int dclass = record.getDClass();
        if (!name.subdomain(origin)) {
          throw new Failure(Rcode.NOTZONE, "update RR is outside zone: " + name);
        }
        if (dclass == zoneClass) {
          if (isMeta(type)) {
            throw new Failure(Rcode.FORMERR, "meta-RR in update: " + Type.string(type));
          }
          record = withParsedEmptyRdata(record);
          checkNames(record);
        } else if (dclass == DClass.ANY) {
          if (record.getTTL() != 0 || (isMeta(type) && type != Type.ANY)) {
            throw new Failure(Rcode.FORMERR, "meta-RR in update: " + Records.describe(record));
          }
        } else if (dclass == DClass.NONE) {
          if (record.getTTL() != 0 || isMeta(type)) {
            throw new Failure(Rcode.FORMERR, "meta-RR in update: " + Records.describe(record));
          }
          record = withParsedEmptyRdata(record);
        } else {
          throw new Failure(
              Rcode.FORMERR, "update RR has incorrect class " + DClass.string(dclass));
        }
        checkDnssecType(name, type);
        if (policy != null) {
          maxByType[i] = checkPolicy(record);
        }
        prepared.add(record);
      }
      return maxByType;
    }

    /** update.c: the DNSSEC records named maintains itself cannot be updated. */
    private void checkDnssecType(Name name, int type) throws Failure {
      if (type == Type.NSEC3) {
        throw new Failure(Rcode.REFUSED, "explicit NSEC3 updates are not allowed in secure zones");
      }
      if (type == Type.NSEC) {
        throw new Failure(Rcode.REFUSED, "explicit NSEC updates are not allowed in secure zones");
      }
      if (type == Type.SIG) {
        throw new Failure(Rcode.REFUSED, "SIG updates are not allowed");
      }
      if (type == Type.NXT) {
        throw new Failure(Rcode.REFUSED, "NXT updates are not allowed");
      }
      if (type == Type.RRSIG && !name.equals(origin)) {
        throw new Failure(
            Rcode.REFUSED,
            "explicit RRSIG updates are currently not supported in secure zones except at the"
                + " apex");
      }
    }

    /** update.c send_update's update-policy part; the zone as it was before the update. */
    private int checkPolicy(Record record) throws Failure {
      Name name = record.getName();
      int type = record.getType();
      int dclass = record.getDClass();
      boolean targeted = type == Type.PTR || type == Type.SRV;
      if (dclass == DClass.ANY && targeted) {
        // Deleting an RRset of PTR or SRV: each existing record is checked; none is fine.
        if (work.hasRRset(name, type, 0) && !policy.allows(who, name, type)) {
          throw refusedByPolicy(record);
        }
        return 0;
      }
      if (dclass == DClass.NONE && targeted) {
        // Deleting one PTR or SRV: only checked when there is such a record to delete.
        if (containsRdata(work.recordsAt(name), record) && !policy.allows(who, name, type)) {
          throw refusedByPolicy(record);
        }
        return 0;
      }
      if (type != Type.ANY) {
        UpdatePolicy.Rule rule = policy.decidingRule(who, name, type);
        if (rule == null || !rule.grant()) {
          throw refusedByPolicy(record);
        }
        return rule.max(type);
      }
      // Deleting every RRset of a name: each existing type is checked, RRSIG and NSEC aside.
      Set<Integer> types = new LinkedHashSet<>();
      for (Record existing : work.recordsAt(name)) {
        types.add(existing.getType());
      }
      for (int existingType : types) {
        if (existingType != Type.RRSIG
            && existingType != Type.NSEC
            && !policy.allows(who, name, existingType)) {
          throw refusedByPolicy(record);
        }
      }
      return 0;
    }

    private Failure refusedByPolicy(Record record) {
      return new Failure(
          Rcode.REFUSED,
          "rejected by secure update: "
              + record.getName()
              + "/"
              + Type.string(record.getType())
              + (who.keyName() == null ? "" : " by key " + who.keyName()));
    }

    /** RFC 2136 §3.2, in update.c's order: each prerequisite in turn, then the RRset values. */
    private void checkPrerequisites(List<Record> prerequisites) throws Failure {
      List<Record> valueDependent = new ArrayList<>();
      for (Record record : prerequisites) {
        Name name = record.getName();
        int type = record.getType();
        int dclass = record.getDClass();
        if (record.getTTL() != 0) {
          throw new Failure(Rcode.FORMERR, "prerequisite TTL is not zero");
        }
        if (!name.subdomain(origin)) {
          throw new Failure(Rcode.NOTZONE, "prerequisite name is out of zone: " + name);
        }
        if (dclass == DClass.ANY) {
          if (type == Type.ANY) {
            if (!work.nameInUse(name)) {
              throw new Failure(
                  Rcode.NXDOMAIN, "'name in use' prerequisite not satisfied: " + name);
            }
          } else if (!work.hasRRset(name, type, covers(record))) {
            throw new Failure(
                Rcode.NXRRSET,
                "'rrset exists (value independent)' prerequisite not satisfied: "
                    + name
                    + "/"
                    + Type.string(type));
          }
        } else if (dclass == DClass.NONE) {
          if (type == Type.ANY) {
            if (work.nameInUse(name)) {
              throw new Failure(
                  Rcode.YXDOMAIN, "'name not in use' prerequisite not satisfied: " + name);
            }
          } else if (work.hasRRset(name, type, covers(record))) {
            throw new Failure(
                Rcode.YXRRSET,
                "'rrset does not exist' prerequisite not satisfied: "
                    + name
                    + "/"
                    + Type.string(type));
          }
        } else if (dclass == zoneClass) {
          valueDependent.add(record);
        } else {
          throw new Failure(Rcode.FORMERR, "malformed prerequisite");
        }
      }
      checkValueDependent(valueDependent);
    }

    /**
     * RFC 2136 §3.2.5 and update.c temp_check: for each name and type, the prerequisite records,
     * duplicates included, must be exactly the RRset's records.
     */
    private void checkValueDependent(List<Record> records) throws Failure {
      List<Record> sorted = new ArrayList<>(records);
      sorted.sort(
          Comparator.comparing(Record::getName)
              .thenComparing(Record::getType, Comparator.reverseOrder())
              .thenComparingInt(DynamicUpdate::covers));
      int i = 0;
      while (i < sorted.size()) {
        Record first = sorted.get(i);
        int j = i;
        List<Record> wanted = new ArrayList<>();
        while (j < sorted.size()
            && sorted.get(j).getName().equals(first.getName())
            && sorted.get(j).getType() == first.getType()
            && covers(sorted.get(j)) == covers(first)) {
          wanted.add(sorted.get(j++));
        }
        if (first.getType() == Type.ANY
            || !sameRdataLists(
                wanted, work.rrset(first.getName(), first.getType(), covers(first)))) {
          throw new Failure(
              Rcode.NXRRSET,
              "'RRset exists (value dependent)' prerequisite not satisfied: "
                  + first.getName()
                  + "/"
                  + Type.string(first.getType()));
        }
        i = j;
      }
    }

    /**
     * RFC 2136 §3.4.2, update.c update_action: one update RR. Returns whether it set the serial.
     */
    private boolean applyOne(Record record, int max) throws Failure {
      int dclass = record.getDClass();
      if (dclass == DClass.ANY) {
        deleteRRsets(record);
        return false;
      }
      if (dclass == DClass.NONE) {
        deleteRecord(record);
        return false;
      }
      return addRecord(record, max);
    }

    private boolean addRecord(Record record, int max) throws Failure {
      Name name = record.getName();
      int type = record.getType();
      int covers = covers(record);
      if (type == Type.MD || type == Type.MF) {
        return ignore("attempt to add " + Type.string(type) + " ignored");
      }
      if ((type == Type.NS || type == Type.DNAME) && name.isWild()) {
        return ignore("attempt to add wildcard " + Type.string(type) + " record ignored");
      }
      if (type == Type.CNAME) {
        for (Record existing : work.recordsAt(name)) {
          if (existing.getType() != Type.CNAME && !mayBeAtCname(existing.getType())) {
            return ignore("attempt to add CNAME alongside non-CNAME ignored: " + name);
          }
        }
      } else if (work.hasRRset(name, Type.CNAME, 0) && !mayBeAtCname(type)) {
        return ignore("attempt to add non-CNAME alongside CNAME ignored: " + name);
      }
      boolean setsSerial = false;
      if (type == Type.SOA) {
        if (!work.hasRRset(name, Type.SOA, 0)) {
          return ignore("attempt to create 2nd SOA ignored: " + name);
        }
        long current = work.soa().getSerial();
        long proposed = ((SOARecord) record).getSerial();
        if (Serial.compare(proposed, current) <= 0) {
          return ignore("SOA update failed to increment serial, ignoring it");
        }
        setsSerial = true;
      }
      if (type == Type.DS && name.equals(origin)) {
        return ignore("attempt to add a DS record at zone apex ignored");
      }
      if (type == PRIVATE_TYPE) {
        return ignore(
            "attempt to add a private type ("
                + PRIVATE_TYPE
                + ") record rejected internal use only");
      }
      if (type == Type.NSEC3PARAM) {
        // BIND turns NSEC3PARAM into pending-chain private records for its signer; vxdns signs
        // nothing, so there is nothing to build a chain for.
        String flags =
            (((NSEC3PARAMRecord) record).getFlags() & ~1) != 0 ? " with non OPTOUT flag" : "";
        return ignore(
            "attempt to add NSEC3PARAM record"
                + flags
                + " ignored (vxdns maintains no NSEC3 chain)");
      }
      if (max != 0 && work.rrset(name, type, covers).size() >= max) {
        return ignore(
            "attempt to add more records than permitted by policy max="
                + max
                + ": "
                + name
                + "/"
                + Type.string(type));
      }
      // update.c add_rr_prepare_action: an exact duplicate is a no-op; a record it replaces
      // (CNAME, DNAME, SOA, NSEC, RRSIG by key, WKS, NSEC3PARAM) goes; every other record of the
      // RRset takes the new TTL and the new owner-name spelling.
      List<Record> existing = work.rrset(name, type, covers);
      List<Record> deletes = new ArrayList<>();
      List<Record> readds = new ArrayList<>();
      for (Record old : existing) {
        boolean caseEqual = old.getName().toString().equals(name.toString());
        boolean ttlEqual = old.getTTL() == record.getTTL();
        boolean equal = WorkingZone.sameRdata(old, record);
        if (equal && caseEqual && ttlEqual) {
          return setsSerial;
        }
        if (replaces(record, old)) {
          deletes.add(old);
        } else if (!ttlEqual || !caseEqual) {
          deletes.add(old);
          if (!equal) {
            readds.add(withNameAndTtl(old, name, record.getTTL()));
          }
        }
      }
      for (Record old : deletes) {
        work.delete(old);
      }
      for (Record readd : readds) {
        work.add(readd);
      }
      if (type == Type.SOA) {
        work.replaceSoa((SOARecord) record);
      } else {
        work.add(record);
        checkLimits(record, existing.isEmpty());
      }
      return setsSerial;
    }

    /**
     * update.c's dns_zone_checknames: with the zone's check-names at fail (a primary's default) a
     * record whose host or mailbox names fail refuses the update; at warn it is noted.
     */
    private void checkNames(Record record) throws Failure {
      if (rules.checkNames() == CheckNames.Mode.IGNORE) {
        return;
      }
      String problem = CheckNames.problem(record);
      if (problem != null && rules.checkNames() == CheckNames.Mode.FAIL) {
        throw new Failure(Rcode.REFUSED, "check-names failure: " + problem);
      } else if (problem != null) {
        warnings.add(problem);
      }
    }

    /**
     * BIND's database refuses the record that takes its RRset, or its name when the RRset is new,
     * over the zone's limits, and update.c answers SERVFAIL ("adding an RR failed"). An RRset this
     * update deleted still counts as a type, and is not new when added again.
     */
    private void checkLimits(Record added, boolean newRRset) throws Failure {
      Name name = added.getName();
      if (rules.overRecordLimit(work.rrset(name, added.getType(), covers(added)).size())) {
        throw new Failure(Rcode.SERVFAIL, "adding an RR failed: " + rules.tooManyRecords(added));
      }
      if (newRRset
          && !work.heldBefore(added)
          && rules.overTypeLimit(work.rrsetCountWithDeleted(name))) {
        throw new Failure(Rcode.SERVFAIL, "adding an RR failed: " + rules.tooManyTypes(name));
      }
    }

    private boolean ignore(String why) {
      ignored.add(why);
      return false;
    }

    /** Class ANY: delete an RRset, or every RRset of a name; the apex keeps SOA, NS and DNSSEC. */
    private void deleteRRsets(Record record) {
      Name name = record.getName();
      int type = record.getType();
      boolean apex = name.equals(origin);
      if (type == Type.ANY) {
        if (apex) {
          work.deleteIf(name, existing -> !keptAtApex(existing.getType()));
        } else {
          work.deleteIf(
              name,
              existing -> existing.getType() != Type.RRSIG && existing.getType() != Type.NSEC);
        }
      } else if (apex) {
        work.deleteIf(
            name, existing -> existing.getType() == type && !keptAtApex(existing.getType()));
      } else {
        int covers = covers(record);
        work.deleteIf(name, existing -> WorkingZone.sameRRset(existing, type, covers));
      }
    }

    /** Class NONE: delete one record; never the SOA or the apex's last NS. */
    private void deleteRecord(Record record) {
      Name name = record.getName();
      int type = record.getType();
      if (name.equals(origin)) {
        if (type == Type.SOA) {
          ignore("attempt to delete SOA ignored");
          return;
        }
        if (type == Type.NS && work.rrset(name, Type.NS, 0).size() == 1) {
          ignore("attempt to delete last NS ignored");
          return;
        }
      }
      int covers = covers(record);
      work.deleteIf(
          name,
          existing ->
              WorkingZone.sameRRset(existing, type, covers)
                  && WorkingZone.sameRdata(existing, record));
    }

    /**
     * update.c dns_zone_nscheck: every apex NS inside the zone must still lead to an address (A or
     * AAAA, or a delegation that holds the glue), not to nothing, a CNAME or a name below a DNAME.
     */
    private void checkNameServers() throws Failure {
      for (Record record : work.rrset(origin, Type.NS, 0)) {
        Name target = ((NSRecord) record).getTarget();
        String problem = target.subdomain(origin) ? addressProblem(target) : null;
        if (problem != null) {
          throw new Failure(
              Rcode.REFUSED,
              "update rejected: post update name server sanity check failed: NS '"
                  + target
                  + "' "
                  + problem);
        }
      }
    }

    /**
     * update.c check_mx with check-integrity (the default for a primary zone): an added MX whose
     * exchange is inside the zone must lead to an address record.
     */
    private void checkMailExchangers() throws Failure {
      for (Record record : work.diff().added()) {
        if (record instanceof MXRecord mx && mx.getTarget().subdomain(origin)) {
          String problem = addressProblem(mx.getTarget());
          if (problem != null) {
            throw new Failure(
                Rcode.REFUSED, record.getName() + "/MX '" + mx.getTarget() + "' " + problem);
          }
        }
      }
    }

    /**
     * What dns_db_find for A then AAAA at an in-zone name finds, in the words zone.c logs: null for
     * an address or a delegation; a missing name may be answered by the wildcard at its closest
     * encloser (RFC 4592).
     */
    private String addressProblem(Name target) {
      int top = origin.labels();
      int labels = target.labels();
      for (int depth = top; depth <= labels; depth++) {
        Name current = depth == labels ? target : new Name(target, labels - depth);
        List<Record> records = work.recordsAt(current);
        if (!current.equals(origin) && hasType(records, Type.NS)) {
          return null;
        }
        if (depth < labels && hasType(records, Type.DNAME)) {
          return "is below a DNAME '" + current + "' (illegal)";
        }
      }
      List<Record> records = work.recordsAt(target);
      if (records.isEmpty() && !work.exists(target)) {
        Name encloser = new Name(target, 1);
        while (!encloser.equals(origin) && !work.exists(encloser)) {
          encloser = new Name(encloser, 1);
        }
        try {
          records = work.recordsAt(Name.concatenate(Name.fromConstantString("*"), encloser));
        } catch (org.xbill.DNS.NameTooLongException e) {
          records = List.of();
        }
      }
      if (hasType(records, Type.A) || hasType(records, Type.AAAA)) {
        return null;
      }
      if (hasType(records, Type.CNAME)) {
        return "is a CNAME (illegal)";
      }
      return "has no address records (A or AAAA)";
    }

    /**
     * update.c remove_orphaned_ds: a DS whose name lost its NS, or a DS added where there is no
     * delegation, goes (RFC 3658 §2.2).
     */
    private void removeOrphanedDs() {
      ZoneDiff diff = work.diff();
      Set<Name> candidates = new LinkedHashSet<>();
      for (Record record : diff.deleted()) {
        if (record.getType() == Type.NS) {
          candidates.add(record.getName());
        }
      }
      for (Record record : diff.added()) {
        if (record.getType() == Type.DS) {
          candidates.add(record.getName());
        }
      }
      for (Name name : candidates) {
        if (name.equals(origin) || !work.hasRRset(name, Type.NS, 0)) {
          work.deleteIf(name, existing -> existing.getType() == Type.DS);
        }
      }
    }

    /**
     * dnsjava reads an empty rdata in the update section as an EmptyRecord whatever its class; a
     * record being added or deleted needs its real type, so it is read again (FORMERR if the type
     * cannot be empty, as BIND's parser answers).
     */
    private Record withParsedEmptyRdata(Record record) throws Failure {
      if (hasRdata(record) || record.getClass() != EMPTY_RECORD_CLASS) {
        return record;
      }
      Record parsed;
      try {
        parsed =
            Record.newRecord(
                record.getName(),
                record.getType(),
                record.getDClass(),
                record.getTTL(),
                new byte[0]);
      } catch (RuntimeException e) {
        parsed = null;
      }
      if (parsed == null) {
        throw new Failure(Rcode.FORMERR, "malformed update RR: " + Records.describe(record));
      }
      return parsed;
    }
  }

  private static final Class<?> EMPTY_RECORD_CLASS =
      Record.newRecord(Name.root, Type.A, DClass.IN, 0).getClass();

  /** nsec3_50.c checkowner_nsec3: the first label decodes as unpadded base32hex (RFC 4648). */
  static boolean isBase32HexLabel(Name name) {
    if (name.labels() < 2) {
      return false;
    }
    String label = name.getLabelString(0);
    int length = label.length();
    int rest = length % 8;
    if (length == 0 || rest == 1 || rest == 3 || rest == 6 || length * 5 / 8 > 155) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      char c = Character.toLowerCase(label.charAt(i));
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'v'))) {
        return false;
      }
    }
    return true;
  }

  static boolean hasType(List<Record> records, int type) {
    for (Record record : records) {
      if (record.getType() == type) {
        return true;
      }
    }
    return false;
  }

  static boolean hasRdata(Record record) {
    return record.rdataToWireCanonical().length != 0;
  }

  static int covers(Record record) {
    return record instanceof RRSIGRecord sig ? sig.getTypeCovered() : 0;
  }

  /** BIND's meta types: OPT, TKEY, TSIG, IXFR, AXFR, MAILB, MAILA, ANY and all of 128–255. */
  static boolean isMeta(int type) {
    return type == Type.OPT || (type >= 128 && type <= 255);
  }

  /** dns_rdatatype_atcname: what may share a name with a CNAME. */
  static boolean mayBeAtCname(int type) {
    return type == Type.RRSIG || type == Type.NSEC || type == Type.KEY;
  }

  /** update.c type_not_soa_nor_ns_p: what deleting at the apex leaves alone. */
  static boolean keptAtApex(int type) {
    return type == Type.SOA
        || type == Type.NS
        || type == Type.NSEC3PARAM
        || type == Type.RRSIG
        || type == Type.NSEC;
  }

  /** update.c replaces_p: the records an added record replaces instead of joining. */
  static boolean replaces(Record added, Record existing) {
    int type = existing.getType();
    if (type != added.getType()) {
      return false;
    }
    switch (type) {
      case Type.CNAME:
      case Type.DNAME:
      case Type.SOA:
      case Type.NSEC:
        return true;
      case Type.RRSIG:
        RRSIGRecord a = (RRSIGRecord) added;
        RRSIGRecord e = (RRSIGRecord) existing;
        return a.getFootprint() == e.getFootprint()
            && a.getTypeCovered() == e.getTypeCovered()
            && a.getAlgorithm() == e.getAlgorithm();
      case Type.WKS:
        byte[] x = added.rdataToWireCanonical();
        byte[] y = existing.rdataToWireCanonical();
        if (x.length < 5 || y.length < 5) {
          return false;
        }
        for (int i = 0; i < 5; i++) {
          if (x[i] != y[i]) {
            return false;
          }
        }
        return true;
      default:
        return false;
    }
  }

  static boolean containsRdata(List<Record> records, Record record) {
    for (Record existing : records) {
      if (existing.getType() == record.getType() && WorkingZone.sameRdata(existing, record)) {
        return true;
      }
    }
    return false;
  }

  /** Same records as a multiset of rdata: sorted, compared one by one (update.c temp_check). */
  static boolean sameRdataLists(List<Record> wanted, List<Record> actual) {
    if (wanted.size() != actual.size()) {
      return false;
    }
    List<byte[]> a = new ArrayList<>();
    List<byte[]> b = new ArrayList<>();
    for (Record record : wanted) {
      a.add(record.rdataToWireCanonical());
    }
    for (Record record : actual) {
      b.add(record.rdataToWireCanonical());
    }
    a.sort(java.util.Arrays::compareUnsigned);
    b.sort(java.util.Arrays::compareUnsigned);
    for (int i = 0; i < a.size(); i++) {
      if (!java.util.Arrays.equals(a.get(i), b.get(i))) {
        return false;
      }
    }
    return true;
  }

  /** {@code soa} with another serial, all else equal. */
  public static SOARecord withSerial(SOARecord soa, long serial) {
    return new SOARecord(
        soa.getName(),
        soa.getDClass(),
        soa.getTTL(),
        soa.getHost(),
        soa.getAdmin(),
        serial,
        soa.getRefresh(),
        soa.getRetry(),
        soa.getExpire(),
        soa.getMinimum());
  }

  /** The same rdata under another owner-name spelling and TTL. */
  static Record withNameAndTtl(Record record, Name name, long ttl) {
    try {
      byte[] rdata = rdataOf(record.toWire(Section.ANSWER));
      return Record.newRecord(name, record.getType(), record.getDClass(), ttl, rdata);
    } catch (IOException e) {
      throw new IllegalStateException("record does not survive its own wire form: " + record, e);
    }
  }

  private static byte[] rdataOf(byte[] wire) throws IOException {
    org.xbill.DNS.DNSInput in = new org.xbill.DNS.DNSInput(wire);
    new Name(in);
    in.jump(in.current() + 8);
    int length = in.readU16();
    return in.readByteArray(length);
  }
}
