#pragma once

// What a playground conversation talks to, and the one interface both kinds of target are
// reached through: a model loaded in the local engine host, or a model on the platform
// (serverless, a dedicated deployment or a LoRA deployed on one) through the client core's
// streaming chat completions. ChatSession picks the provider by the target's kind; the page
// never knows which one answers.

#include <models/chatoptions.h>
#include <models/conversationstore.h>

#include <QList>
#include <QMetaType>
#include <QObject>
#include <QString>

namespace models {

//! One chat target, as the target picker lists it.
struct ChatTarget
{
    enum class Kind { None, Local, Platform };
    Kind kind = Kind::None;
    int localHandle = 0; //!< Local: the engine host's handle of the loaded model
    QString localDir;    //!< Local: the model folder (what a conversation remembers)
    QString model;       //!< Platform: the request's model string (model or model#deployment)
    QString label;       //!< what the picker shows
    QString where;       //!< "platform · deployment d" / "local CPU, qwen3", under each reply
    //! The context window in tokens that replies run in (the local load's context length, a
    //! deployment's maxContextLength); 0 when not known (a serverless model, a deployment on
    //! its model's default).
    qint64 contextLength = 0;
    //! What a conversation stores to find this target again: the local folder, or
    //! "platform:" + the model string.
    QString key() const;
    bool isValid() const { return kind != Kind::None; }
    bool operator==(const ChatTarget &o) const { return key() == o.key(); }
};

//! One turn of a prompt sent to a target.
struct ChatTurn
{
    QString role; //!< system, user, assistant
    QString content;
};

//! How a reply ended: the whole text, its figures, and (when it failed) why in plain words.
struct ChatReply
{
    QString text;
    ReplyStats stats;
    QString error;
};

//! Streams a reply from one kind of target. start() returns a request ID (0: refused, with
//! the reason); textReceived carries pieces of text, finished comes once per started request.
class ChatProvider : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
    //! Empty when `target` can answer now; else why not, in plain words.
    virtual QString unavailableReason(const ChatTarget &target) const = 0;
    virtual quint64 start(const ChatTarget &target, const QList<ChatTurn> &prompt,
                          const ChatParams &params, const ChatOptions &options,
                          QString *whyNot) = 0;
    //! Ends the request within one token; finished still comes (finish reason "cancelled").
    virtual void cancel(quint64 requestId) = 0;

Q_SIGNALS:
    void textReceived(quint64 requestId, const QString &text);
    //! The tokens of the text received so far that were not reported yet, with their top-n
    //! alternatives; only when ChatOptions::topLogprobs was set (and the target gives them).
    void tokenProbabilities(quint64 requestId, const QList<models::TokenProbability> &tokens);
    void finished(quint64 requestId, const models::ChatReply &reply);
};

} // namespace models

Q_DECLARE_METATYPE(models::ChatTarget)
Q_DECLARE_METATYPE(models::ChatReply)
Q_DECLARE_METATYPE(models::TokenProbability)
