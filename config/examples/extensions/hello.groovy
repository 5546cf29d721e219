// An extension stage: served at vxdns.ext.hello (the file's name) and hot-redeployed when this
// file changes. It answers hello.extension.test IN TXT and passes every other query on.
import dev.vxdns.message.DnsExchange
import dev.vxdns.message.DnsRequests
import dev.vxdns.message.DnsResponses
import dev.vxdns.message.Stage
import groovy.transform.CompileStatic
import io.vertx.core.Future
import org.xbill.DNS.DClass
import org.xbill.DNS.Flags
import org.xbill.DNS.Message
import org.xbill.DNS.Name
import org.xbill.DNS.Section
import org.xbill.DNS.TXTRecord
import org.xbill.DNS.Type

@CompileStatic
class HelloStage implements Stage {
  static final Name HELLO = Name.fromConstantString('hello.extension.test.')

  Future<DnsExchange> handle(DnsExchange exchange) {
    DnsExchange parsed = DnsRequests.parse(exchange, DnsResponses.DEFAULT_MAX_UDP_SIZE)
    if (parsed.isFinished()) {
      return Future.succeededFuture(parsed) // not a query we can read: already answered or dropped
    }
    def question = parsed.request().getQuestion()
    if (question.getName() != HELLO || question.getType() != Type.TXT
        || question.getDClass() != DClass.IN) {
      return Future.succeededFuture(parsed) // pass on to the next stage
    }
    Message answer = DnsResponses.responseTo(parsed.request(), DnsResponses.DEFAULT_MAX_UDP_SIZE)
    answer.getHeader().setFlag(Flags.AA)
    answer.addRecord(new TXTRecord(HELLO, DClass.IN, 60, 'hello from groovy'), Section.ANSWER)
    return Future.succeededFuture(parsed.respond(answer))
  }
}
